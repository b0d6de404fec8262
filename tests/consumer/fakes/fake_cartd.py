#!/usr/bin/env python3
"""Fake Pacifica cartd (consumer.md §2.4): POST /<cart> {"fileids": [...]} -> 201; HEAD /<cart>
-> 204 with X-Pacifica-Status staging then ready (or error); GET /<cart>?filename=X -> a tar whose
members are X/<path>. File bytes come from STORE/<id>; the hash is checked as cartd does.

usage: fake_cartd.py --store DIR [--fail MESSAGE] [--staging-polls N]
"""

import argparse
import hashlib
import io
import json
import os
import re
import tarfile
import threading
import urllib.parse

import common

ARGS = None
CARTS = {}
LOCK = threading.Lock()


class CartHandler(common.Handler):
    def cart_id(self):
        path = urllib.parse.urlsplit(self.path).path.strip('/')
        return path if re.fullmatch(r'[0-9A-Za-z-]+', path or '') else None

    def do_POST(self):
        cart = self.cart_id()
        try:
            fileids = json.loads(self.body().decode('utf-8'))['fileids']
            for item in fileids:
                for key in ('id', 'path', 'hashtype', 'hashsum'):
                    if key not in item:
                        raise KeyError(key)
        except (ValueError, KeyError, TypeError) as exc:
            return self.send(400, {'message': 'bad cart request: %r' % exc})
        error = ARGS.fail
        for item in fileids:
            data_path = os.path.join(ARGS.store, str(item['id']))
            if not os.path.isfile(data_path):
                error = error or 'file %s is not in the archive' % item['id']
                continue
            with open(data_path, 'rb') as stream:
                digest = hashlib.new(item['hashtype'], stream.read()).hexdigest()
            if digest != item['hashsum']:
                error = error or 'hash mismatch for file %s' % item['id']
        with LOCK:
            CARTS[cart] = {'fileids': fileids, 'polls': 0, 'error': error}
        self.send(201, {'message': 'Cart Processing has begun'})

    def do_HEAD(self):
        with LOCK:
            cart = CARTS.get(self.cart_id())
            if cart is None:
                return self.send(404)
            cart['polls'] += 1
            if cart['error']:
                status, message = 'error', cart['error']
            elif cart['polls'] <= ARGS.staging_polls:
                status, message = 'staging', ''
            else:
                status, message = 'ready', ''
        self.send(204, headers={'X-Pacifica-Status': status, 'X-Pacifica-Message': message})

    def do_GET(self):
        parts = urllib.parse.urlsplit(self.path)
        cart = CARTS.get(parts.path.strip('/'))
        if cart is None:
            return self.send(404, {'message': 'no such cart'})
        if cart['error'] or cart['polls'] <= ARGS.staging_polls:
            return self.send(202, b'The cart is not ready for download.', 'text/plain')
        top = urllib.parse.parse_qs(parts.query).get('filename', ['data'])[0]
        top = top[:-4] if top.endswith('.tar') else top
        out = io.BytesIO()
        with tarfile.open(fileobj=out, mode='w', format=tarfile.PAX_FORMAT) as bundle:
            for item in cart['fileids']:
                with open(os.path.join(ARGS.store, str(item['id'])), 'rb') as stream:
                    data = stream.read()
                info = tarfile.TarInfo('%s/%s' % (top, item['path'].lstrip('/')))
                info.size = len(data)
                bundle.addfile(info, io.BytesIO(data))
        self.send(200, out.getvalue(), 'application/octet-stream',
                  {'Content-Disposition': 'attachment; filename=%s' % top})


def main():
    global ARGS  # pylint: disable=global-statement
    parser = argparse.ArgumentParser()
    parser.add_argument('--store', required=True)
    parser.add_argument('--fail', default='')
    parser.add_argument('--staging-polls', type=int, default=1)
    ARGS = parser.parse_args()
    common.serve(CartHandler)


if __name__ == '__main__':
    main()
