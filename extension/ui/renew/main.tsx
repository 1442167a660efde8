import '../../zod-jitless.js';
import { render } from 'preact';
import { Renew } from './renew.js';

render(<Renew />, document.getElementById('app')!);
