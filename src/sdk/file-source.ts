import { existsSync, type FSWatcher, watch } from 'node:fs';
import { FlagopsError } from '../errors.js';
import { basename, dirname } from 'node:path';
import { FileStore } from '../store/file-store.js';
import { type FlagSource, type SourceSink, type UsageBatch, usageFields } from './source.js';

/**
 * Reads the embedded file store (what `flagops sync` writes without Redis). A sync replaces the
 * file by a rename, so a read sees one whole revision; the folder is watched for that rename, and
 * polled as well because file watching is not reliable on every file system.
 */
export class FileSource implements FlagSource {
  readonly label: string;
  private readonly store: FileStore;
  private sink?: SourceSink;
  private watcher?: FSWatcher;
  private poller?: NodeJS.Timeout;
  private pending?: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly path: string,
    private readonly pollIntervalMs: number,
  ) {
    this.label = `file ${path}`;
    this.store = new FileStore(path, this.label);
  }

  start(sink: SourceSink): void {
    this.sink = sink;
    try {
      this.watcher = watch(dirname(this.path), (_event, name) => {
        if (name === null || name === basename(this.path)) this.soon();
      });
      this.watcher.on('error', () => {});
      this.watcher.unref();
    } catch {
      // No folder yet, or no watching here: polling covers it.
    }
    this.poller = setInterval(() => this.reload(), this.pollIntervalMs);
    this.poller.unref();
    this.reload();
  }

  /** Several events arrive for one rename: read once, a moment later. */
  private soon(): void {
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.reload();
    }, 5);
  }

  reload(): void {
    if (this.closed || !this.sink) return;
    if (!existsSync(this.path)) {
      // Not an empty environment: a path that is wrong, or a store never synced. Say so.
      this.sink.down(new FlagopsError(`No flag store file at ${this.path}.`, 'Run flagops sync for this environment, or check the file option.'));
      return;
    }
    this.store.read().then(
      (state) => {
        if (!this.closed) this.sink!.state(state);
      },
      (error: Error) => {
        if (!this.closed) this.sink!.down(error);
      },
    );
  }

  async writeUsage(batch: UsageBatch): Promise<void> {
    if (batch.size > 0) await this.store.addUsage(usageFields(batch));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.watcher?.close();
    clearInterval(this.poller);
    clearTimeout(this.pending);
  }
}
