/**
 * zod/mini, zod 4's tree-shakable API, for every schema of shared/ and functions/: a bundle then holds only the checks
 * it uses, where `zod` brings them all (about 186 KiB of every function). Import it as a namespace
 * (`import * as z from '…/zodMini'`) and never pass `z` around as a value, or the bundler must keep all of it.
 * zod/mini registers no message language by itself, so English is registered here: the 422 answers keep zod's
 * wording (and the MalformedEventErrors of shared/sources, which name the rule a value breaks).
 */
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());

export * from 'zod/mini';
