#!/usr/bin/env python3
"""Fake Pacifica ingest (consumer.md §2.5): POST /upload takes a tar (data/<path> members plus
metadata.txt), checks every Files entry's size and hash against its member, and saves the bundle
as OUT/<job_id>.tar; GET /get_state?job_id=N walks through the tasks to 'ingest metadata' 100
(or FAILED).

usage: fake_ingest.py --out DIR [--fail-task TASK] [--first-job-id N]
"""

import argparse
import hashlib
import io
import json
import os
import tarfile
import threading
import urllib.parse

import common

ARGS = None
JOBS = {}
LOCK = threading.Lock()
TASKS = [('open tar', '0'), ('load metadata', '0'), ('Policy Validation', '0'),
         ('ingest files', '50'), ('ingest metadata', '100')]


def validate(bundle_bytes):
    """The reason the bundle is bad, or None."""
    try:
        bundle = tarfile.open(fileobj=io.BytesIO(bundle_bytes), mode='r:')
        members = {m.name: m for m in bundle.getmembers()}
        metadata = json.loads(bundle.extractfile(members['metadata.txt']).read().decode('utf-8'))
    except (tarfile.TarError, KeyError, ValueError) as exc:
        return 'unreadable bundle: %r' % exc
    tables = [item.get('destinationTable') for item in metadata]
    for needed in ('Transactions.submitter', 'Transactions.project', 'Transactions.instrument'):
        if needed not in tables:
            return 'metadata.txt lacks %s' % needed
    if 'Transactions._id' in tables:
        return 'metadata.txt must not carry Transactions._id'
    for item in metadata:
        if item.get('destinationTable') != 'Files':
            continue
        name = 'data/' + '/'.join(p for p in [item['subdir'], item['name']] if p)
        if name not in members:
            return 'no tar member %s' % name
        data = bundle.extractfile(members[name]).read()
        if len(data) != item['size'] or hashlib.new(item['hashtype'], data).hexdigest() != item['hashsum']:
            return 'size or hash of %s does not match metadata.txt' % name
    return None


class IngestHandler(common.Handler):
    def state(self, job):
        task, percent = TASKS[min(job['step'], len(TASKS) - 1)]
        failed = job['error'] is not None and (ARGS.fail_task in ('', task) or job['step'] >= len(TASKS) - 1)
        return {'job_id': job['id'], 'state': 'FAILED' if failed else 'OK', 'task': task,
                'task_percent': percent, 'complete': failed or task == 'ingest metadata',
                'created': '2020-05-12 21:03:27', 'updated': '2020-05-12 21:03:28',
                'exception': job['error'] if failed else ''}

    def do_POST(self):
        if urllib.parse.urlsplit(self.path).path != '/upload':
            return self.send(404, {'message': 'no such route'})
        data = self.body()
        with LOCK:
            job_id = ARGS.first_job_id + len(JOBS)
            error = validate(data)
            if ARGS.fail_task:
                error = error or 'simulated failure during %s' % ARGS.fail_task
            JOBS[job_id] = {'id': job_id, 'step': 0, 'error': error}
            with open(os.path.join(ARGS.out, '%d.tar' % job_id), 'wb') as stream:
                stream.write(data)
            self.send(200, self.state(JOBS[job_id]))

    def do_GET(self):
        parts = urllib.parse.urlsplit(self.path)
        if parts.path != '/get_state':
            return self.send(404, {'message': 'no such route'})
        job_id = urllib.parse.parse_qs(parts.query).get('job_id', [''])[0]
        with LOCK:
            job = JOBS.get(int(job_id)) if job_id.isdigit() else None
            if job is None:
                return self.send(404, {'message': 'no job %s' % job_id})
            current = self.state(job)
            if current['state'] != 'FAILED':
                job['step'] += 1
            self.send(200, self.state(job))


def main():
    global ARGS  # pylint: disable=global-statement
    parser = argparse.ArgumentParser()
    parser.add_argument('--out', required=True)
    parser.add_argument('--fail-task', default='')
    parser.add_argument('--first-job-id', type=int, default=1302)
    ARGS = parser.parse_args()
    common.serve(IngestHandler)


if __name__ == '__main__':
    main()
