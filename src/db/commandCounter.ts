// Counts the commands the driver sends (command monitoring): database round trips per operation
// do not depend on the engine, so tests and benchmarks can assert on them where timings would lie.
import type { CommandStartedEvent } from 'mongodb';
import type mongoose from 'mongoose';

export class CommandCounter {
  private readonly started: string[] = [];

  /** The connection must have been opened with `monitorCommands: true`. */
  constructor(connection: mongoose.Connection) {
    connection.getClient().on('commandStarted', (event: CommandStartedEvent) => {
      this.started.push(event.commandName);
    });
  }

  /** Commands sent since the last reset(). */
  get count(): number {
    return this.started.length;
  }

  /** Their names in order, e.g. ['find', 'update']. */
  get names(): readonly string[] {
    return [...this.started];
  }

  countOf(commandName: string): number {
    return this.started.filter((name) => name === commandName).length;
  }

  reset(): void {
    this.started.length = 0;
  }
}
