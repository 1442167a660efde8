import '../../zod-jitless.js';
import { render } from 'preact';
import { Options } from './options.js';

render(<Options />, document.getElementById('app')!);
