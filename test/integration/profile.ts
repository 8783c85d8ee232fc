// The profile the deployment under test serves (SPEC 7), from API_PROFILE, which scripts/integration.mjs
// sets from `--profile` (or from the local server it starts). The suite runs in both profiles; cases
// whose bodies differ check them through profile-aware helpers, and the few cases about a feature that
// exists in one profile only are registered in that profile only, under a title that says so.

export type Profile = 'secure' | 'seed';

function profileFromEnv(): Profile {
  const value = process.env.API_PROFILE;
  if (value === undefined || value === '' || value === 'secure') return 'secure';
  if (value === 'seed') return 'seed';
  throw new Error(`API_PROFILE must be "secure" or "seed" (got "${value}")`);
}

export const PROFILE: Profile = profileFromEnv();

/** The seed compatibility profile: the original system's bodies, open group management. */
export const SEED = PROFILE === 'seed';

/**
 * A describe block that exists in one profile only: it is registered (as "<title> (<profile> profile)")
 * when the suite runs against that profile and not at all otherwise, so the other profile's run neither
 * runs nor skips it.
 */
export function describeInProfile(profile: Profile, title: string, body: (this: Mocha.Suite) => void): void {
  if (PROFILE === profile) describe(`${title} (${profile} profile)`, body);
}
