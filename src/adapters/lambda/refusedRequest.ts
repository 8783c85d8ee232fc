// The errors for requests the local server refuses before any route sees them: a body too large
// or unreadable, headers too large, a request too slow to arrive, a method its static files do not
// answer, or a handler that failed outright. On AWS, API Gateway refuses these itself; locally they
// are answered through ApiHandler so the profile shapes them.
import { TransportError, type TransportErrorCode } from './errorStatus.js';
import { payloadTooLarge } from './requestBody.js';

export type RefusedRequestCode = Extract<
  TransportErrorCode,
  'payload_too_large' | 'invalid_json' | 'request_timeout' | 'headers_too_large' | 'method_not_allowed' | 'internal_error'
>;

export function refusedRequest(code: RefusedRequestCode): TransportError {
  switch (code) {
    case 'payload_too_large':
      return payloadTooLarge();
    case 'invalid_json':
      // A body that could not be read is not valid JSON: the SPEC's one code for an unreadable body.
      return new TransportError('invalid_json', 'The request could not be read: it is not well-formed HTTP.');
    case 'request_timeout':
      return new TransportError('request_timeout', 'The request did not arrive in time.');
    case 'headers_too_large':
      return new TransportError('headers_too_large', 'The request line and headers are too large.');
    case 'method_not_allowed':
      // The browser client and the API reference are files: they can be read, nothing else.
      return new TransportError('method_not_allowed', 'This page can only be read (GET or HEAD).', { Allow: 'GET, HEAD' });
    case 'internal_error':
      // The handler itself failed (the server could not even run it); the answer names the request id.
      return new TransportError('internal_error', 'Internal server error.');
  }
}
