import '../../zod-jitless.js';
import { render } from 'preact';
import { Verify } from './verify.js';

// `?tab=<id>`: the tab the popup was opened for, the one Fill form fills by default.
const tabParameter = new URLSearchParams(location.search).get('tab');
render(<Verify initialTabId={tabParameter !== null ? Number(tabParameter) : undefined} />, document.getElementById('app')!);
