/** A strong validator for a versioned resource: changes whenever `version` does. */
export function etagOf(resource: { id: string; version: number }): string {
  return `"${resource.id}.${resource.version}"`;
}
