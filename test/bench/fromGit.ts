import { execFileSync } from 'node:child_process';
import Module from 'node:module';
import path from 'node:path';

import ts from 'typescript';

/** The commit before issue 21's fixes: the benches compare against the code that shipped then. */
export const BEFORE_COMMIT = '7746995';

/**
 * A TypeScript module of this repository as it was at `commit`, transpiled and loaded in this
 * process, so a bench can measure the old code next to the current one. The file must import
 * nothing of ours at runtime (type imports are fine).
 */
export function moduleFromGit<T>(file: string, commit = BEFORE_COMMIT): T {
	const repo = path.join(__dirname, '..', '..');
	const source = execFileSync('git', ['show', `${commit}:${file}`], {
		cwd: repo,
		encoding: 'utf8',
	});
	const js = ts.transpileModule(source, {
		compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
	}).outputText;
	const loaded = new Module(`${file}@${commit}`);
	loaded.paths = module.paths;
	(loaded as unknown as { _compile(code: string, filename: string): void })._compile(
		js,
		path.join(repo, `${file}.${commit}.js`),
	);
	return loaded.exports as T;
}
