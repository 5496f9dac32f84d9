import { CloudEventAttributes, EventDataSchemas, EventTypes } from './events';

describe('event contracts', () => {
  const types = Object.values(EventTypes);

  it('has a data schema for every event type and none for a type that does not exist', () => {
    expect(Object.keys(EventDataSchemas).sort()).toEqual([...types].sort());
  });

  it('describes every data schema as an object with its fields required unless optional', () => {
    for (const type of types) {
      const schema = EventDataSchemas[type] as { type: string; description?: string; required?: string[] };
      expect({ type, schema: schema.type, described: Boolean(schema.description) }).toEqual({ type, schema: 'object', described: true });
      expect(schema.required?.length).toBeGreaterThan(0);
    }
  });

  it('lets the envelope name every event type', () => {
    expect((CloudEventAttributes.properties.type as unknown as { enum: string[] }).enum).toEqual(types);
  });
});
