"""Helpers for consumer entry points run by start-pacifica-notifications-consumer.

    from pacifica_notifications_consumer import download, upload

download(SRC) fetches the files of SRC/notification.json through Pacifica cartd into
SRC/downloads/<subdir>/<name>; upload(DST, attributes, key_values) bundles DST/uploads/ with a
metadata.txt and sends it to Pacifica ingest. Both do their work before returning and give back an
already-settled promise (see the `promise` stand-in), as the documented example expects.

Standard library only. Endpoints and credentials come from the environment the runner sets
(PN_CONSUMER_*), falling back to pacifica-cli's variables (DOWNLOAD_URL, UPLOAD_URL,
UPLOAD_STATUS_URL, AUTHENTICATION_*). Every outcome is appended to $PN_CONSUMER_REPORT (JSON
lines) so the runner can mark a job failed even when the entry point exits 0.
"""

import json
import os

from promise import Promise

from . import _cartd, _ingest
from ._config import Config

__all__ = ['download', 'upload', 'Config']
__version__ = '1.0.0'


def _report(record):
    path = os.environ.get('PN_CONSUMER_REPORT')
    if path:
        with open(path, 'a', encoding='utf-8') as stream:
            stream.write(json.dumps(record) + '\n')


def _settled(operation, work):
    """Runs work() now; a promise fulfilled with its value or rejected with its error."""
    try:
        value, details = work()
    except Exception as exc:  # pylint: disable=broad-except
        _report({'op': operation, 'ok': False, 'error': '{}: {}'.format(type(exc).__name__, exc)})
        return Promise.reject(exc)
    record = {'op': operation, 'ok': True}
    record.update(details)
    _report(record)
    return Promise.resolve(value)


def download(src, config=None):
    """Downloads the event's files into SRC/downloads/; resolves with the event (dict)."""
    config = config or Config.from_environment()

    def work():
        with open(os.path.join(src, 'notification.json'), 'r', encoding='utf-8') as stream:
            event = json.load(stream)
        count = _cartd.download_event_files(config, event, src)
        return event, {'files': count}
    return _settled('download', work)


def upload(dst, attributes, key_values=None, config=None):
    """Uploads DST/uploads/ as a new transaction; resolves with ingest's final job state (dict,
    its job_id is the new transaction id). Rejects on FAILED, timeout or a bad request."""
    config = config or Config.from_environment()

    def work():
        state = _ingest.upload_directory(config, os.path.join(dst, 'uploads'), attributes,
                                         key_values or {})
        return state, {'job_id': state.get('job_id')}
    return _settled('upload', work)
