import type pg from "pg";

// The connection type the engine's writers share (upsert, the read model, the shop lock): a type of
// its own, so that they need not import each other for it.

/** A connection inside a transaction (pg.PoolClient). */
export type Sql = Pick<pg.PoolClient, "query">;
