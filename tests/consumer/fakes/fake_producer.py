#!/usr/bin/env python3
"""Fake notifications producer: POST /eventmatch (needs the user header) stores a subscription
and answers it with a uuid; DELETE /eventmatch/<uuid> soft-deletes it; GET /eventmatch/<uuid>
shows it. Test controls: POST /_push delivers the body (an event) to every live subscription's
target_url with its auth and answers [{"uuid", "status", "body"}]; GET /_subscriptions lists all,
deleted ones included.

usage: fake_producer.py [--user-header Http-Remote-User] [--reject MESSAGE]
"""

import argparse
import base64
import json
import threading
import urllib.error
import urllib.request
import uuid

import common

ARGS = None
SUBS = {}
LOCK = threading.Lock()


def auth_headers(auth):
    if not auth:
        return {}
    if auth.get('type') == 'basic':
        pair = '{username}:{password}'.format(**auth['basic']).encode('utf-8')
        return {'Authorization': 'Basic ' + base64.b64encode(pair).decode('ascii')}
    if auth.get('type') == 'header':
        return {'Authorization': '{type} {credentials}'.format(**auth['header'])}
    return {}


class ProducerHandler(common.Handler):
    def user(self):
        return self.headers.get(ARGS.user_header)

    def do_POST(self):
        if self.path == '/_push':
            return self.push()
        if self.path != '/eventmatch':
            return self.send(404, {'message': 'no such route'})
        if ARGS.reject:
            return self.send(400, {'status': '400 Bad Request', 'message': ARGS.reject})
        if not self.user():
            return self.send(400, {'message': 'missing %s' % ARGS.user_header})
        try:
            sub = json.loads(self.body().decode('utf-8'))
            for key in ('name', 'jsonpath', 'target_url'):
                if not isinstance(sub.get(key), str):
                    raise KeyError(key)
        except (ValueError, KeyError) as exc:
            return self.send(400, {'message': 'bad subscription: %r' % exc})
        sub.update({'uuid': str(uuid.uuid4()), 'user': self.user(), 'deleted': None,
                    'disabled': None, 'error': None})
        with LOCK:
            SUBS[sub['uuid']] = sub
        self.send(200, sub)

    def do_DELETE(self):
        sub_id = self.path.rsplit('/', 1)[-1]
        with LOCK:
            sub = SUBS.get(sub_id)
            if sub is None or sub['user'] != self.user() or sub['deleted']:
                return self.send(403, {'message': 'forbidden'})
            sub['deleted'] = 'now'
        self.send(200, b'', 'text/plain')

    def do_GET(self):
        with LOCK:
            if self.path == '/_subscriptions':
                return self.send(200, list(SUBS.values()))
            sub = SUBS.get(self.path.rsplit('/', 1)[-1])
        if sub is None:
            return self.send(403, {'message': 'forbidden'})
        self.send(200, sub)

    def push(self):
        event = self.body()
        with LOCK:
            live = [s for s in SUBS.values() if not s['deleted']]
        results = []
        for sub in live:
            headers = {'Content-Type': 'application/json'}
            headers.update(auth_headers(sub.get('auth')))
            req = urllib.request.Request(sub['target_url'], data=event, headers=headers, method='POST')
            try:
                with urllib.request.urlopen(req, timeout=30) as resp:
                    results.append({'uuid': sub['uuid'], 'status': resp.status,
                                    'body': resp.read().decode('utf-8')})
            except urllib.error.HTTPError as exc:
                results.append({'uuid': sub['uuid'], 'status': exc.code,
                                'body': exc.read().decode('utf-8')})
            except OSError as exc:
                results.append({'uuid': sub['uuid'], 'status': 0, 'body': str(exc)})
        self.send(200, results)


def main():
    global ARGS  # pylint: disable=global-statement
    parser = argparse.ArgumentParser()
    parser.add_argument('--user-header', default='Http-Remote-User')
    parser.add_argument('--reject', default='')
    ARGS = parser.parse_args()
    common.serve(ProducerHandler)


if __name__ == '__main__':
    main()
