// Placeholder: replaced by the real cluster start-up (native PostgreSQL source and target) on main.
export default async function setup(): Promise<() => Promise<void>> {
  return async () => {};
}
