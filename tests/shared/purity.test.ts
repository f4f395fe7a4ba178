// shared/ must stay pure: its compiler settings reject DOM and Node globals (docs/architecture.md).
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';

const sharedDir = path.resolve('shared');

function diagnosticsFor(source: string): string[] {
  const configFile = ts.readConfigFile(path.join(sharedDir, 'tsconfig.json'), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(configFile.config, ts.sys, sharedDir);
  const probe = path.join(sharedDir, '__purity-probe.ts');
  const host = ts.createCompilerHost(parsed.options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.readFile = (f) => (path.resolve(f) === probe ? source : readFile(f));
  host.fileExists = (f) => path.resolve(f) === probe || fileExists(f);
  const program = ts.createProgram([probe, ...parsed.fileNames], parsed.options, host);
  return ts
    .getPreEmitDiagnostics(program, program.getSourceFile(probe))
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('shared/ cannot use DOM or Node globals', () => {
  test.each([
    ['window', 'export const x = window.location.href;'],
    ['document', 'export const x = document.title;'],
    ['chrome', 'export const x = chrome.runtime.id;'],
    ['browser', 'export const x = browser.runtime.id;'],
    ['process', 'export const x = process.env.HOME;'],
    ['node:fs', "import fs from 'node:fs'; export const x = fs;"],
  ])('%s fails to compile', (_name, source) => {
    expect(diagnosticsFor(source).length).toBeGreaterThan(0);
  });

  test('pure code compiles (control)', () => {
    expect(diagnosticsFor("import { z } from 'zod'; export const x = z.string().parse('ok');")).toEqual([]);
  });
});
