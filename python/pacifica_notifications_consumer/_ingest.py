"""Uploads a directory through Pacifica ingest: a tar of data/<path> members plus metadata.txt,
POST /upload, then GET /get_state until 'ingest metadata' reaches 100 or the job FAILED."""

import datetime
import hashlib
import io
import json
import os
import tarfile
import tempfile
import time
import urllib.parse

from . import _http

_REQUIRED = ('Transactions.submitter', 'Transactions.project', 'Transactions.instrument')
# A fixed table, so the MIME type does not change with the Python version (mimetypes does).
_MIME = {
    'txt': 'text/plain', 'log': 'text/plain', 'csv': 'text/csv', 'tsv': 'text/tab-separated-values',
    'json': 'application/json', 'xml': 'application/xml', 'html': 'text/html', 'htm': 'text/html',
    'md': 'text/markdown', 'py': 'text/x-python', 'ini': 'text/plain', 'cfg': 'text/plain',
    'yaml': 'application/x-yaml', 'yml': 'application/x-yaml', 'pdf': 'application/pdf',
    'png': 'image/png', 'jpg': 'image/jpeg', 'jpeg': 'image/jpeg', 'gif': 'image/gif',
    'tif': 'image/tiff', 'tiff': 'image/tiff', 'svg': 'image/svg+xml',
    'h5': 'application/x-hdf5', 'hdf5': 'application/x-hdf5', 'nc': 'application/x-netcdf',
    'zip': 'application/zip', 'gz': 'application/gzip', 'tar': 'application/x-tar',
}


def mimetype(name):
    ext = name.rsplit('.', 1)[-1].lower() if '.' in name else ''
    return _MIME.get(ext, 'application/octet-stream')


def transaction_records(attributes, key_values):
    """metadata.txt entries for the transaction; Transactions.proposal is read as .project."""
    values = {}
    for key, value in (attributes or {}).items():
        key = 'Transactions.project' if key == 'Transactions.proposal' else key
        if key == 'Transactions._id':
            raise ValueError('Transactions._id cannot be uploaded: ingest assigns it (pass the '
                             'input id as a key-value for provenance)')
        if not key.startswith('Transactions.'):
            raise ValueError('unknown transaction attribute {!r}'.format(key))
        values[key] = value
    missing = [key for key in _REQUIRED if values.get(key) in (None, '')]
    if missing:
        raise ValueError('upload needs {} (ingest rejects a transaction without them)'.format(
            ', '.join(missing)))
    records = [{'destinationTable': key, 'value': value} for key, value in values.items()]
    for key, value in (key_values or {}).items():
        records.append({'destinationTable': 'TransactionKeyValue', 'key': key, 'value': value})
    return records


def _utc(timestamp):
    return datetime.datetime.utcfromtimestamp(int(timestamp)).strftime('%Y-%m-%dT%H:%M:%S')


def collect_files(uploads):
    """(absolute path, relative path) of every regular file under uploads, sorted."""
    found = []
    for root, dirs, names in os.walk(uploads):
        dirs.sort()
        for name in sorted(names):
            path = os.path.join(root, name)
            if os.path.islink(path) or not os.path.isfile(path):
                continue
            found.append((path, os.path.relpath(path, uploads).replace(os.sep, '/')))
    return found


def file_record(path, relative):
    digest = hashlib.sha1()
    with open(path, 'rb') as stream:
        for chunk in iter(lambda: stream.read(1 << 16), b''):
            digest.update(chunk)
    stat = os.stat(path)
    subdir, _, name = relative.rpartition('/')
    return {'destinationTable': 'Files', 'name': name, 'subdir': subdir,
            'size': stat.st_size, 'mimetype': mimetype(name), 'hashtype': 'sha1',
            'hashsum': digest.hexdigest(), 'ctime': _utc(stat.st_mtime), 'mtime': _utc(stat.st_mtime)}


def build_bundle(uploads, attributes, key_values, out):
    """Writes the ingest tar to the binary stream out; returns the metadata list."""
    files = collect_files(uploads) if os.path.isdir(uploads) else []
    metadata = transaction_records(attributes, key_values)
    metadata += [file_record(path, rel) for path, rel in files]
    with tarfile.open(fileobj=out, mode='w', format=tarfile.PAX_FORMAT) as bundle:
        for path, rel in files:
            bundle.add(path, arcname='data/' + rel, recursive=False)
        text = json.dumps(metadata).encode('utf-8')
        info = tarfile.TarInfo('metadata.txt')
        info.size, info.mtime = len(text), int(time.time())
        bundle.addfile(info, io.BytesIO(text))
    return metadata


def upload_directory(config, uploads, attributes, key_values):
    with tempfile.TemporaryFile() as spool:
        build_bundle(uploads, attributes, key_values, spool)
        spool.seek(0)
        body = spool.read()
    status, _, reply = _http.request(config, 'POST', config.upload_url, body, {
        'Content-Type': 'application/octet-stream', 'Content-Length': str(len(body))},
        timeout=max(config.upload_timeout, 60))
    if status != 200:
        raise _http.HttpError('ingest refused the upload at {}: {}'.format(
            config.upload_url, _http.describe(status, reply)))
    try:
        state = json.loads(reply.decode('utf-8'))
        job_id = state['job_id']
    except (ValueError, KeyError, TypeError):
        raise _http.HttpError('ingest answered the upload without a job_id: {}'.format(
            _http.describe(status, reply))) from None
    return _wait_for_job(config, job_id, state)


def _finished(state):
    if state.get('state') == 'FAILED':
        raise RuntimeError('ingest job {} FAILED during {!r}: {}'.format(
            state.get('job_id'), state.get('task'), state.get('exception') or 'no detail'))
    try:
        percent = int(float(state.get('task_percent') or 0))
    except ValueError:
        percent = 0
    return state.get('state') == 'OK' and state.get('task') == 'ingest metadata' and percent == 100


def _wait_for_job(config, job_id, state):
    deadline = _http.Deadline(config.upload_timeout)
    separator = '&' if '?' in config.upload_status_url else '?'
    url = '{}{}job_id={}'.format(config.upload_status_url, separator,
                                 urllib.parse.quote(str(job_id)))
    while not _finished(state):
        if deadline.expired():
            raise TimeoutError('ingest job {} did not finish within {} s (last task {!r} at {}%)'
                               .format(job_id, config.upload_timeout, state.get('task'),
                                       state.get('task_percent')))
        time.sleep(config.poll_interval)
        status, _, reply = _http.request(config, 'GET', url)
        if status != 200:
            raise _http.HttpError('ingest status {} failed: {}'.format(url, _http.describe(status, reply)))
        state = json.loads(reply.decode('utf-8'))
    return state
