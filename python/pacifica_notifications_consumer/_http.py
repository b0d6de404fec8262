"""Small urllib wrapper: one request, the status, headers and body, errors with the URL in them."""

import time
import urllib.error
import urllib.request


class HttpError(Exception):
    """A request that could not be made or was answered with an unexpected status."""


def request(config, method, url, body=None, headers=None, timeout=60.0):
    all_headers = dict(config.headers())
    all_headers.update(headers or {})
    req = urllib.request.Request(url, data=body, headers=all_headers, method=method)
    context = config.ssl_context() if url.startswith('https:') else None
    try:
        with urllib.request.urlopen(req, timeout=timeout, context=context) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, 'reason', exc)
        raise HttpError('{} {} failed: {}'.format(method, url, reason)) from None


def describe(status, body):
    text = body.decode('utf-8', 'replace').strip()
    return 'HTTP {}{}'.format(status, ': ' + text[:500] if text else '')


class Deadline(object):
    """Polling budget measured on the monotonic clock."""

    def __init__(self, seconds):
        self.end = time.monotonic() + seconds

    def expired(self):
        return time.monotonic() >= self.end
