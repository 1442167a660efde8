/** The provider's data for registration requests, kept locally (extension storage, or a JSON file for the CLI). */
import { z } from 'zod';

export const providerProfileSchema = z
  .object({
    providerName: z.string().min(1).max(300),
    cui: z.string().min(1).max(20),
    county: z.string().min(1).max(100),
    contractType: z.string().max(200).default(''),
    contractNumber: z.string().max(100).default(''),
    legalRepresentative: z.string().min(1).max(200),
    phone: z.string().max(50).default(''),
    email: z.string().max(200).default(''),
  })
  .strict();

export type ProviderProfile = z.output<typeof providerProfileSchema>;
