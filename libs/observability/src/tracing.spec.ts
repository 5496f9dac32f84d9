import { isTraceparent, runWithRequestId } from './request-context';
import { currentTraceContext, injectTraceHeaders, tracingEnabled, withSpan } from './tracing';

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

function headers() {
  const set = new Map<string, string>();
  return { set: (name: string, value: string) => void set.set(name, value), values: set };
}

describe('tracing off (no OTEL_EXPORTER_OTLP_ENDPOINT)', () => {
  it('is off and runs spans as plain calls', () => {
    expect(tracingEnabled()).toBe(false);
    expect(withSpan('x', 'internal', () => 42)).toBe(42);
  });

  it('passes the request\'s traceparent and tracestate on unchanged', () => {
    const h = headers();
    runWithRequestId('r1', () => injectTraceHeaders(h), TRACEPARENT, 'vendor=abc');
    expect(Object.fromEntries(h.values)).toEqual({ traceparent: TRACEPARENT, tracestate: 'vendor=abc' });
    expect(runWithRequestId('r1', () => currentTraceContext(), TRACEPARENT)).toEqual({ traceparent: TRACEPARENT });
  });

  it('passes nothing on when the request had no or a malformed traceparent', () => {
    for (const traceparent of [undefined, '00-abc-01', ['a', 'b'], `${TRACEPARENT}\r\nX: y`]) {
      const h = headers();
      runWithRequestId('r1', () => injectTraceHeaders(h), traceparent, 'vendor=abc');
      expect(h.values.size).toBe(0);
      expect(runWithRequestId('r1', () => currentTraceContext(), traceparent)).toBeUndefined();
    }
    const h = headers();
    injectTraceHeaders(h); // outside any request
    expect(h.values.size).toBe(0);
  });

  it('accepts only well-formed W3C traceparents', () => {
    expect(isTraceparent(TRACEPARENT)).toBe(true);
    expect(isTraceparent('01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra')).toBe(true);
    expect(isTraceparent(`${TRACEPARENT}-extra`)).toBe(false); // version 00 has exactly four fields
    expect(isTraceparent('ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')).toBe(false);
    expect(isTraceparent('00-00000000000000000000000000000000-00f067aa0ba902b7-01')).toBe(false);
    expect(isTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01')).toBe(false);
    expect(isTraceparent('00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01')).toBe(false);
    // A later version may add fields, but a caller cannot push kilobytes of its own into events and rows.
    expect(isTraceparent(`01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-${'x'.repeat(10_000)}`)).toBe(false);
  });
});
