// PGlite alone, as the server opens it (scripts/bench/memory-parts.ts): the seeded data
// directory, btree_gist, the server's shared_buffers; every table read once, then idle.
// Arguments: <data dir> <shared_buffers>. Prints "ready" when done and waits to be killed.
import { PGlite } from "@electric-sql/pglite";
import { btree_gist } from "@electric-sql/pglite/contrib/btree_gist";

const [dataDir, sharedBuffers] = process.argv.slice(2);
const client = await PGlite.create({ dataDir, extensions: { btree_gist }, postgresqlconf: [`shared_buffers=${sharedBuffers}`] });
const tables = await client.query("select tablename from pg_tables where schemaname = 'public'");
for (const { tablename } of tables.rows) await client.query(`select * from "${tablename}"`);
console.log("ready");
setInterval(() => {}, 60_000);
