/** An RFC 9457 problem as the API answers it. */
export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  code?: string;
  errors?: { field: string; message: string }[];
  traceId?: string;
}

/** The field errors of a problem, by field path, and those no field of the form shows. */
export interface MappedErrors {
  /** `address.country` → its message(s), joined. */
  fields: Record<string, string>;
  /** Messages for fields the form does not have (or for the body as a whole). */
  other: string[];
}

/**
 * Puts each `errors[]` entry next to the field the form shows for it. Paths
 * the form does not know (an unknown field, the body as a whole) are listed
 * apart, with the problem's detail when it names no field at all: a 400 never
 * leaves the user without a word of what to change.
 */
export function mapProblem(problem: Problem, knownFields: (field: string) => boolean): MappedErrors {
  const fields: Record<string, string> = {};
  const other: string[] = [];
  for (const { field, message } of problem.errors ?? []) {
    if (field && knownFields(field)) fields[field] = fields[field] ? `${fields[field]} ${message}` : message;
    else other.push(message);
  }
  if (!problem.errors?.length && problem.detail) other.push(problem.detail);
  return { fields, other };
}

/** Reads a fetch answer as a problem: problem+json as it is, anything else (a proxy's HTML page) by its status. */
export function problemOf(status: number, body: unknown): Problem {
  if (body && typeof body === 'object' && 'status' in body) return body as Problem;
  return { status, title: `HTTP ${status}` };
}
