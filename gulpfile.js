const path = require('path');
const { task, src, dest, parallel } = require('gulp');

// tsc emits only JavaScript; the SVG icons are copied beside it.
const copy = (folder) => () =>
	src(path.resolve(folder, '**', '*.svg'), { encoding: false }).pipe(dest(path.resolve('dist', folder)));

task('build:icons', parallel(copy('nodes'), copy('credentials')));
