// Reads a SecureString from SSM Parameter Store with Powertools Parameters: decrypted by SSM with
// the parameter's KMS key, through the SDK's usual credentials and region (AWS_ENDPOINT_URL_SSM
// points it elsewhere, as the tests do). Imported only where a parameter is configured, so the
// local server never loads the SSM client.
import { getParameter } from '@aws-lambda-powertools/parameters/ssm';

export async function readSecureParameter(name: string): Promise<string> {
  const value = await getParameter(name, { decrypt: true });
  if (typeof value !== 'string' || value === '') throw new Error(`The SSM parameter ${name} has no value`);
  return value;
}
