-- OrleansMemory: PostgreSQL grain state for Orleans ADO.NET persistence (Microsoft.Orleans.Persistence.AdoNet 10.4.2,
-- invariant Npgsql). Idempotent; apply after postgresql-main.sql.
--
-- Differences from Orleans' reference script, all inside its contract (same columns, parameters and result names):
--  * GrainTypeString and GrainIdExtensionString are text: OrleansMemory stores "{grain type}/{state name}" and
--    "{grain type}/{key}" there (TypePrefixedGrainStorage) and keys may be 1,000 characters long.
--  * A unique index makes racing first writes safe: the losers' INSERT does nothing and Orleans reports an
--    InconsistentStateException (the reference script can insert two rows for one state).
--  * DeleteStorageKey is provided, so the provider runs with DeleteStateOnClear = true.
--  * ix_orleansstorage_catalog serves the storage catalog (listing grains of a type in key order, statistics).

CREATE TABLE IF NOT EXISTS OrleansStorage
(
    grainidhash integer NOT NULL,
    grainidn0 bigint NOT NULL,
    grainidn1 bigint NOT NULL,
    graintypehash integer NOT NULL,
    graintypestring text NOT NULL,
    grainidextensionstring text,
    serviceid varchar(150) NOT NULL,
    payloadbinary bytea,
    modifiedon timestamp without time zone NOT NULL,
    version integer
);

CREATE INDEX IF NOT EXISTS ix_orleansstorage ON OrleansStorage USING btree (grainidhash, graintypehash);

CREATE UNIQUE INDEX IF NOT EXISTS ux_orleansstorage_state ON OrleansStorage
    (serviceid, grainidhash, graintypehash, grainidn0, grainidn1, md5(graintypestring), md5(coalesce(grainidextensionstring, '')), (grainidextensionstring IS NULL));

CREATE INDEX IF NOT EXISTS ix_orleansstorage_catalog ON OrleansStorage (serviceid, grainidextensionstring COLLATE "C");

CREATE OR REPLACE FUNCTION writetostorage(
    _grainidhash integer,
    _grainidn0 bigint,
    _grainidn1 bigint,
    _graintypehash integer,
    _graintypestring text,
    _grainidextensionstring text,
    _serviceid varchar,
    _grainstateversion integer,
    _payloadbinary bytea)
    RETURNS TABLE(newgrainstateversion integer)
    LANGUAGE plpgsql
AS $function$
DECLARE
    _newgrainstateversion integer := _grainstateversion;
    _rows integer := 0;
BEGIN
    IF _grainstateversion IS NOT NULL THEN
        -- An update only succeeds against the version the grain read; otherwise the version comes back unchanged
        -- and Orleans throws InconsistentStateException.
        UPDATE OrleansStorage
        SET payloadbinary = _payloadbinary,
            modifiedon = (now() AT TIME ZONE 'utc'),
            version = version + 1
        WHERE grainidhash = _grainidhash
            AND graintypehash = _graintypehash
            AND grainidn0 = _grainidn0
            AND grainidn1 = _grainidn1
            AND graintypestring = _graintypestring
            AND grainidextensionstring IS NOT DISTINCT FROM _grainidextensionstring
            AND serviceid = _serviceid
            AND version = _grainstateversion;
        GET DIAGNOSTICS _rows = ROW_COUNT;
        IF _rows > 0 THEN
            _newgrainstateversion := _grainstateversion + 1;
        END IF;
    ELSE
        -- A first write: exactly one of several racing writers inserts (the unique index decides); the others get
        -- NULL back, which Orleans reports as a version conflict.
        INSERT INTO OrleansStorage
            (grainidhash, grainidn0, grainidn1, graintypehash, graintypestring, grainidextensionstring, serviceid,
             payloadbinary, modifiedon, version)
        VALUES
            (_grainidhash, _grainidn0, _grainidn1, _graintypehash, _graintypestring, _grainidextensionstring, _serviceid,
             _payloadbinary, (now() AT TIME ZONE 'utc'), 1)
        ON CONFLICT DO NOTHING;
        GET DIAGNOSTICS _rows = ROW_COUNT;
        IF _rows > 0 THEN
            _newgrainstateversion := 1;
        END IF;
    END IF;

    RETURN QUERY SELECT _newgrainstateversion AS newgrainstateversion;
END
$function$;

INSERT INTO OrleansQuery(QueryKey, QueryText) VALUES ('WriteToStorageKey', '
    SELECT * FROM writetostorage(@GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
        @GrainIdExtensionString, @ServiceId, @GrainStateVersion, @PayloadBinary);
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

INSERT INTO OrleansQuery(QueryKey, QueryText) VALUES ('ReadFromStorageKey', '
    SELECT payloadbinary AS PayloadBinary, (now() AT TIME ZONE ''utc''), version AS Version
    FROM OrleansStorage
    WHERE grainidhash = @GrainIdHash
        AND graintypehash = @GrainTypeHash
        AND grainidn0 = @GrainIdN0
        AND grainidn1 = @GrainIdN1
        AND graintypestring = @GrainTypeString
        AND grainidextensionstring IS NOT DISTINCT FROM CAST(@GrainIdExtensionString AS text)
        AND serviceid = @ServiceId;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

INSERT INTO OrleansQuery(QueryKey, QueryText) VALUES ('ClearStorageKey', '
    UPDATE OrleansStorage
    SET payloadbinary = NULL, modifiedon = (now() AT TIME ZONE ''utc''), version = version + 1
    WHERE grainidhash = @GrainIdHash
        AND graintypehash = @GrainTypeHash
        AND grainidn0 = @GrainIdN0
        AND grainidn1 = @GrainIdN1
        AND graintypestring = @GrainTypeString
        AND grainidextensionstring IS NOT DISTINCT FROM CAST(@GrainIdExtensionString AS text)
        AND serviceid = @ServiceId
        AND version = @GrainStateVersion
    RETURNING version AS NewGrainStateVersion;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

INSERT INTO OrleansQuery(QueryKey, QueryText) VALUES ('DeleteStorageKey', '
    DELETE FROM OrleansStorage
    WHERE grainidhash = @GrainIdHash
        AND graintypehash = @GrainTypeHash
        AND grainidn0 = @GrainIdN0
        AND grainidn1 = @GrainIdN1
        AND graintypestring = @GrainTypeString
        AND grainidextensionstring IS NOT DISTINCT FROM CAST(@GrainIdExtensionString AS text)
        AND serviceid = @ServiceId
        AND version = @GrainStateVersion
    RETURNING version + 1 AS NewGrainStateVersion;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
