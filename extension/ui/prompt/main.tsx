import '../../zod-jitless.js';
import { render } from 'preact';
import { Prompt } from './prompt.js';

const query = new URLSearchParams(location.search);
render(<Prompt promptId={query.get('id') ?? ''} preparing={query.get('preparing') === '1'} />, document.getElementById('app')!);
