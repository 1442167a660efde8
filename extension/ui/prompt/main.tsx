import '../../zod-jitless.js';
import { render } from 'preact';
import { Prompt } from './prompt.js';

render(<Prompt promptId={new URLSearchParams(location.search).get('id') ?? ''} />, document.getElementById('app')!);
