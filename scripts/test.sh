#!/usr/bin/env bash
# Runs every test: starts private redis-server and PostgreSQL on loopback (scripts/test-servers.sh), then dotnet test.
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(scripts/test-servers.sh)"
dotnet test OrleansMemory.sln -c Release "$@"
# The vector kernels (int8 scan, sign sketch) have AVX-512, AVX2 and scalar paths and a machine takes one: run the
# vector index's tests again with the wider instruction sets switched off (.NET 10's knobs), so every path is checked.
for isa in DOTNET_EnableAVX512 DOTNET_EnableAVX2; do
  env "$isa=0" dotnet test tests/OrleansMemory.VectorIndex.Tests -c Release --no-build
done
