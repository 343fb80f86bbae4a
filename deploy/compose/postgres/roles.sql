-- Generated from xrpbot.access.rights by `python -m xrpbot.access render`: do not edit.
-- Every service's Postgres role, owner of its schema and of nothing else (psql script,
-- run as the database owner by docker compose's one-shot `postgres-roles`).
\set ON_ERROR_STOP on
\set QUIET on
SET client_min_messages = warning;
\getenv gateway_password GATEWAY_PASSWORD
\getenv wallet_password WALLET_PASSWORD
\getenv transfer_password TRANSFER_PASSWORD
\getenv pricing_password PRICING_PASSWORD

SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database()) \gexec
REVOKE ALL ON SCHEMA public FROM PUBLIC;

-- gateway
SELECT format('%s ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %L',
       CASE WHEN EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'xrpbot_gateway')
            THEN 'ALTER' ELSE 'CREATE' END,
       'xrpbot_gateway', :'gateway_password') \gexec
SELECT format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO %I', current_database(), 'xrpbot_gateway') \gexec
CREATE SCHEMA IF NOT EXISTS "gateway" AUTHORIZATION "xrpbot_gateway";
ALTER SCHEMA "gateway" OWNER TO "xrpbot_gateway";
SELECT format('ALTER %s %I.%I OWNER TO %I',
         CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                        WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END,
         n.nspname, c.relname, 'xrpbot_gateway')
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = 'gateway' AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
   AND pg_get_userbyid(c.relowner) <> 'xrpbot_gateway'
   AND NOT (c.relkind = 'S' AND EXISTS (
       SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i'))) \gexec

-- wallet
SELECT format('%s ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %L',
       CASE WHEN EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'xrpbot_wallet')
            THEN 'ALTER' ELSE 'CREATE' END,
       'xrpbot_wallet', :'wallet_password') \gexec
SELECT format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO %I', current_database(), 'xrpbot_wallet') \gexec
CREATE SCHEMA IF NOT EXISTS "wallet" AUTHORIZATION "xrpbot_wallet";
ALTER SCHEMA "wallet" OWNER TO "xrpbot_wallet";
SELECT format('ALTER %s %I.%I OWNER TO %I',
         CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                        WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END,
         n.nspname, c.relname, 'xrpbot_wallet')
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = 'wallet' AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
   AND pg_get_userbyid(c.relowner) <> 'xrpbot_wallet'
   AND NOT (c.relkind = 'S' AND EXISTS (
       SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i'))) \gexec

-- transfer
SELECT format('%s ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %L',
       CASE WHEN EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'xrpbot_transfer')
            THEN 'ALTER' ELSE 'CREATE' END,
       'xrpbot_transfer', :'transfer_password') \gexec
SELECT format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO %I', current_database(), 'xrpbot_transfer') \gexec
CREATE SCHEMA IF NOT EXISTS "transfer" AUTHORIZATION "xrpbot_transfer";
ALTER SCHEMA "transfer" OWNER TO "xrpbot_transfer";
SELECT format('ALTER %s %I.%I OWNER TO %I',
         CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                        WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END,
         n.nspname, c.relname, 'xrpbot_transfer')
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = 'transfer' AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
   AND pg_get_userbyid(c.relowner) <> 'xrpbot_transfer'
   AND NOT (c.relkind = 'S' AND EXISTS (
       SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i'))) \gexec

-- pricing
SELECT format('%s ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %L',
       CASE WHEN EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'xrpbot_pricing')
            THEN 'ALTER' ELSE 'CREATE' END,
       'xrpbot_pricing', :'pricing_password') \gexec
SELECT format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO %I', current_database(), 'xrpbot_pricing') \gexec
CREATE SCHEMA IF NOT EXISTS "pricing" AUTHORIZATION "xrpbot_pricing";
ALTER SCHEMA "pricing" OWNER TO "xrpbot_pricing";
SELECT format('ALTER %s %I.%I OWNER TO %I',
         CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                        WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END,
         n.nspname, c.relname, 'xrpbot_pricing')
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = 'pricing' AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
   AND pg_get_userbyid(c.relowner) <> 'xrpbot_pricing'
   AND NOT (c.relkind = 'S' AND EXISTS (
       SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i'))) \gexec
