/**
 * One benchmark run per checkout at a time. Two runs would overwrite each other's compiled servers and
 * request files in bench/.work and share both cores (each pins its servers to core 1 and wrk to core 0).
 * Runs started side by side on 2026-11-21 now and then reported 0 or a few hundred req/s from idle servers.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes bench/.work/run.lock for this process (released at exit); throws when a live run holds it. */
export function holdBenchLock(workDir: string): void {
  const file = join(workDir, 'run.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      process.on('exit', () => rmSync(file, { force: true }));
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(file, 'utf8'));
      if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) {
        throw new Error(
          `another benchmark run (pid ${holder}) is using ${workDir}; two runs would overwrite each other's files and share the cores: wait for it to end`,
        );
      }
      rmSync(file, { force: true }); // left by a run that died
    }
  }
  throw new Error(`could not take ${file}`);
}
