import { render } from 'preact';
import { Renew } from './renew.js';

render(<Renew />, document.getElementById('app')!);
