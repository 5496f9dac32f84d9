import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { registerDecorator, validateSync, ValidationOptions } from 'class-validator';
import { accessSync, constants } from 'node:fs';
import { parseDuration } from './duration';

export class ConfigError extends Error {}

/**
 * Reads a config class whose property names are the environment variable
 * names. Defaults are the property initializers. The first invalid or missing
 * setting is reported as one line that names it.
 */
export function loadConfig<T extends object>(cls: new () => T, env: NodeJS.ProcessEnv): T {
  const defaults = new cls();
  const plain: Record<string, unknown> = {};
  for (const key of Object.keys(defaults)) {
    const value = env[key];
    if (value !== undefined && value !== '') plain[key] = value;
  }
  const config = plainToInstance(cls, plain, { exposeDefaultValues: true });
  const errors = validateSync(config, { validationError: { target: false } });
  if (errors.length > 0) {
    const first = errors[0];
    const reason = Object.values(first.constraints ?? {})[0] ?? 'is invalid';
    throw new ConfigError(`Invalid setting ${first.property}: ${reason}`);
  }
  return config;
}

/** A duration such as `14d`, `90m`, `5s` (see parseDuration). */
export function IsDuration(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isDuration',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: 'must be a duration such as 14d, 90m, 5s or 250ms', ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && parseDuration(value) !== undefined },
    });
}

/** Empty, or the path of a file this process can read. */
export function IsReadableFileOrEmpty(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isReadableFileOrEmpty',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: 'must be the path of a readable file', ...options },
      validator: {
        validate: (value: unknown) => {
          if (value === '') return true;
          try {
            accessSync(String(value), constants.R_OK);
            return true;
          } catch {
            return false;
          }
        },
      },
    });
}

/** Runs `main`, turning a ConfigError into one line on stderr and exit code 1. */
export function exitOnConfigError(error: unknown): never {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
