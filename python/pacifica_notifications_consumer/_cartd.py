"""Downloads an event's files through Pacifica cartd: create a cart, poll HEAD until ready, GET the
tar, extract it under SRC/downloads/ and verify every file's size and hash."""

import hashlib
import json
import os
import shutil
import tarfile
import tempfile
import time
import uuid

from . import _http

_WAITING = ('staging', 'waiting', 'bundling', '')


def event_files(event):
    """The event's Files records, each with a safe relative path 'subdir/name'."""
    data = event.get('data') if isinstance(event, dict) else None
    if not isinstance(data, list):
        return []
    files = []
    for item in data:
        if not isinstance(item, dict) or item.get('destinationTable') != 'Files':
            continue
        for field in ('_id', 'name', 'hashtype', 'hashsum'):
            if item.get(field) in (None, ''):
                raise ValueError('Files entry {} lacks {!r}'.format(item.get('_id'), field))
        files.append((item, relative_path(item)))
    return files


def subdir_parts(record):
    """subdir split on '/', empty parts dropped; '..' refused (event data chooses paths)."""
    parts = [p for p in str(record.get('subdir') or '').split('/') if p not in ('', '.')]
    if '..' in parts:
        raise ValueError('Files entry {} has an unsafe subdir {!r}'.format(
            record.get('_id'), record.get('subdir')))
    return parts


def relative_path(record):
    name = str(record['name'])
    if '/' in name or name in ('.', '..'):
        raise ValueError('Files entry {} has an unsafe name {!r}'.format(record.get('_id'), name))
    return '/'.join(subdir_parts(record) + [name])


def download_event_files(config, event, src):
    """Runs the cart protocol; returns the number of files placed under SRC/downloads/."""
    downloads = os.path.join(src, 'downloads')
    os.makedirs(downloads, exist_ok=True)
    files = event_files(event)
    if not files:
        return 0
    cart_url = '{}/{}'.format(config.download_url, uuid.uuid4())
    fileids = [{'id': rec['_id'], 'path': path, 'hashtype': rec['hashtype'],
                'hashsum': rec['hashsum']} for rec, path in files]
    status, _, body = _http.request(config, 'POST', cart_url, json.dumps({'fileids': fileids}).encode(),
                                    {'Content-Type': 'application/json'})
    if status != 201:
        raise _http.HttpError('cartd refused the cart at {}: {}'.format(
            cart_url, _http.describe(status, body)))
    _wait_until_ready(config, cart_url)
    _fetch_and_extract(config, cart_url, src)
    for record, path in files:
        _verify(record, os.path.join(downloads, *path.split('/')))
    return len(files)


def _wait_until_ready(config, cart_url):
    deadline = _http.Deadline(config.download_timeout)
    while True:
        status, headers, body = _http.request(config, 'HEAD', cart_url)
        state = (headers.get('X-Pacifica-Status') or '') if headers else ''
        if status == 204 and state == 'ready':
            return
        if status == 204 and state == 'error' or status >= 400:
            message = headers.get('X-Pacifica-Message') if headers else None
            raise _http.HttpError('cartd cart {} failed: {}'.format(
                cart_url, message or _http.describe(status, body)))
        if status != 204 or state not in _WAITING:
            raise _http.HttpError('cartd cart {} answered HTTP {} with status {!r}'.format(
                cart_url, status, state))
        if deadline.expired():
            raise TimeoutError('cartd cart {} was not ready within {} s (last status {!r})'.format(
                cart_url, config.download_timeout, state))
        time.sleep(config.poll_interval)


def _fetch_and_extract(config, cart_url, src):
    url = cart_url + '?filename=downloads'
    with tempfile.TemporaryFile() as spool:
        status, _, body = _http.request(config, 'GET', url, timeout=max(config.download_timeout, 60))
        if status != 200:
            raise _http.HttpError('cartd download {} failed: {}'.format(url, _http.describe(status, body)))
        spool.write(body)
        spool.seek(0)
        with tarfile.open(fileobj=spool, mode='r:*') as bundle:
            for member in bundle:
                _extract_member(bundle, member, src)


def _extract_member(bundle, member, src):
    parts = [p for p in member.name.split('/') if p not in ('', '.')]
    if member.name.startswith('/') or '..' in parts or not parts or parts[0] != 'downloads':
        raise ValueError('cartd tar member {!r} is outside downloads/'.format(member.name))
    target = os.path.join(src, *parts)
    if member.isdir():
        os.makedirs(target, exist_ok=True)
        return
    if not member.isfile():
        raise ValueError('cartd tar member {!r} is not a regular file'.format(member.name))
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with bundle.extractfile(member) as source, open(target, 'wb') as out:
        shutil.copyfileobj(source, out)


def _verify(record, path):
    if not os.path.isfile(path):
        raise ValueError('file {} ({}) is missing from the cartd download'.format(record['_id'], path))
    size = os.path.getsize(path)
    if record.get('size') is not None and size != int(record['size']):
        raise ValueError('file {} ({}) has {} bytes, the event says {}'.format(
            record['_id'], path, size, record['size']))
    try:
        digest = hashlib.new(str(record['hashtype']))
    except ValueError:
        raise ValueError('file {} has unknown hashtype {!r}'.format(
            record['_id'], record['hashtype'])) from None
    with open(path, 'rb') as stream:
        for chunk in iter(lambda: stream.read(1 << 16), b''):
            digest.update(chunk)
    if digest.hexdigest() != str(record['hashsum']).lower():
        raise ValueError('file {} ({}) has {} {}, the event says {}'.format(
            record['_id'], path, record['hashtype'], digest.hexdigest(), record['hashsum']))
