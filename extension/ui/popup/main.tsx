import '../../zod-jitless.js';
import { render } from 'preact';
import { Popup } from './popup.js';

const tabParameter = new URLSearchParams(location.search).get('tab');
render(<Popup targetTabId={tabParameter !== null ? Number(tabParameter) : undefined} />, document.getElementById('app')!);
