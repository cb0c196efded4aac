import json
import mock
from mock import patch, call  # test helpers

mock_obj = mock.Mock()
settings = {"mock": json.dumps(1)}
