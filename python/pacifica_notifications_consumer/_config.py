"""Endpoints, credentials and limits for download/upload, read from the environment."""

import base64
import os
import ssl


def _env(names, default=None):
    for name in names:
        value = os.environ.get(name)
        if value not in (None, ''):
            return value
    return default


class Config(object):
    """What the helper needs to reach cartd and ingest. Thread-safety: immutable after init."""

    def __init__(self, download_url, upload_url, upload_status_url, auth_type='none',
                 username='', password='', cert='', key='', ca_bundle='True',
                 download_timeout=180.0, upload_timeout=180.0, poll_interval=1.0):
        self.download_url = download_url.rstrip('/')
        self.upload_url = upload_url
        self.upload_status_url = upload_status_url
        self.auth_type = (auth_type or 'none').lower()
        self.username, self.password = username, password
        self.cert, self.key = cert, key
        self.ca_bundle = ca_bundle
        self.download_timeout = float(download_timeout)
        self.upload_timeout = float(upload_timeout)
        self.poll_interval = float(poll_interval)
        if self.auth_type not in ('none', 'basic', 'clientssl'):
            raise ValueError('authentication type {!r} is not supported (use none, basic or '
                             'clientssl)'.format(auth_type))

    @classmethod
    def from_environment(cls):
        return cls(
            download_url=_env(['PN_CONSUMER_DOWNLOAD_URL', 'DOWNLOAD_URL'], 'http://127.0.0.1:8081'),
            upload_url=_env(['PN_CONSUMER_UPLOAD_URL', 'UPLOAD_URL'], 'http://127.0.0.1:8066/upload'),
            upload_status_url=_env(['PN_CONSUMER_UPLOAD_STATUS_URL', 'UPLOAD_STATUS_URL'],
                                   'http://127.0.0.1:8066/get_state'),
            auth_type=_env(['PN_CONSUMER_AUTH_TYPE', 'AUTHENTICATION_TYPE'], 'none'),
            username=_env(['PN_CONSUMER_AUTH_USERNAME', 'AUTHENTICATION_USERNAME'], ''),
            password=_env(['PN_CONSUMER_AUTH_PASSWORD', 'AUTHENTICATION_PASSWORD'], ''),
            cert=_env(['PN_CONSUMER_AUTH_CERT'], ''),
            key=_env(['PN_CONSUMER_AUTH_KEY'], ''),
            ca_bundle=_env(['PN_CONSUMER_CA_BUNDLE'], 'True'),
            download_timeout=_env(['PN_CONSUMER_DOWNLOAD_TIMEOUT'], '180'),
            upload_timeout=_env(['PN_CONSUMER_UPLOAD_TIMEOUT'], '180'),
            poll_interval=_env(['PN_CONSUMER_POLL_INTERVAL'], '1'))

    def headers(self):
        if self.auth_type == 'basic':
            token = '{}:{}'.format(self.username, self.password).encode('utf-8')
            return {'Authorization': 'Basic ' + base64.b64encode(token).decode('ascii')}
        return {}

    def ssl_context(self):
        if self.ca_bundle in ('False', 'false', '0'):
            context = ssl._create_unverified_context()  # pylint: disable=protected-access
        elif self.ca_bundle in ('True', 'true', '1', ''):
            context = ssl.create_default_context()
        else:
            context = ssl.create_default_context(cafile=self.ca_bundle)
        if self.auth_type == 'clientssl':
            context.load_cert_chain(self.cert, self.key or None)
        return context
