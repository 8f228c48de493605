"""The production Celery app, for the real-worker test: Redis options that let a new worker
take back, within seconds, the job a killed worker held, and a key prefix of the test's own so
that nothing it does touches other users of the same Redis database.

Started as `celery -A tests.urging.worker_app worker`; imported by the process that enqueues.
"""

import os

from dondoc.celery import app

app.conf.broker_transport_options = {
    **app.conf.broker_transport_options,
    "visibility_timeout": 4,  # a job unacknowledged this long is given to another worker
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
    "global_keyprefix": os.environ["URGING_TEST_KEYPREFIX"],
}
