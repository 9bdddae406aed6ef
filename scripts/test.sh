#!/usr/bin/env bash
# Runs every test: starts private redis-server and PostgreSQL on loopback (scripts/test-servers.sh), then dotnet test.
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(scripts/test-servers.sh)"
dotnet test OrleansMemory.sln -c Release "$@"
