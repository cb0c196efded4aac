import json
import unittest.mock
from unittest.mock import patch, call  # test helpers

mock_obj = unittest.mock.Mock()
settings = {"mock": json.dumps(1)}
