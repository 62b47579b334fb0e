/** dynalite ships no types; this is the part the project uses. */
declare module "dynalite" {
  import type { Server } from "node:http";
  interface DynaliteOptions {
    /** Directory for LevelDB files; in memory when absent. */
    path?: string;
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
  }
  export default function dynalite(options?: DynaliteOptions): Server;
}
