import '../../zod-jitless.js';
import { render } from 'preact';
import { SignFiles } from './sign-files.js';

render(<SignFiles />, document.getElementById('app')!);
