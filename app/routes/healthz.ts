// The trivial route: the floor that benchmarks compare real pages against. It does not
// touch the database, so it needs no guard.
export function loader() {
  return new Response("ok", { headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
}
