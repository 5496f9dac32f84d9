/** Raw SQL rows carry timestamps as strings (the ORM's pg type parsers); answers carry ISO 8601 UTC. */
export function isoUtc(value: Date | string): string {
  return new Date(value).toISOString();
}
