import '../../zod-jitless.js';
import { render } from 'preact';
import { ProviderProfilePage } from './provider-profile.js';

render(<ProviderProfilePage />, document.getElementById('app')!);
