import base64

import pytest
from django.core.exceptions import ImproperlyConfigured

from shiliu.lib import crypto

KEY_A = base64.b64encode(b"a" * 32).decode()
KEY_B = base64.b64encode(b"b" * 32).decode()


def test_it_encrypts_and_decrypts_a_value(settings):
    token = crypto.encrypt("654025199001011231", context="t.id")
    assert "654025" not in token
    assert token.startswith("v1:")
    assert crypto.decrypt(token, context="t.id") == "654025199001011231"
    assert crypto.encrypt("x", context="t.id") != crypto.encrypt(
        "x", context="t.id"
    )  # a fresh nonce each time


def test_a_value_does_not_decrypt_in_another_fields_context():
    token = crypto.encrypt("13812345678", context="t.phone")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token, context="t.id")


def test_old_keys_still_decrypt_after_a_new_key_is_put_first(settings):
    settings.SHILIU_FIELD_KEYS = f"old:{KEY_A}"
    token = crypto.encrypt("secret", context="t")
    settings.SHILIU_FIELD_KEYS = f"new:{KEY_B},old:{KEY_A}"
    assert crypto.needs_rotation(token)
    assert crypto.decrypt(token, context="t") == "secret"
    assert crypto.key_id_of(crypto.encrypt("secret", context="t")) == "new"
    settings.SHILIU_FIELD_KEYS = f"new:{KEY_B}"
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token, context="t")


def test_the_keyed_hash_depends_on_the_key_and_the_context(settings):
    first = crypto.keyed_hash("654025199001011231", context="t.id")
    assert first == crypto.keyed_hash("654025199001011231", context="t.id")
    assert first != crypto.keyed_hash("654025199001011231", context="t.other")
    settings.SHILIU_FIELD_HASH_KEY = "another-hash-key-of-at-least-32-characters"
    assert first != crypto.keyed_hash("654025199001011231", context="t.id")


@pytest.mark.parametrize(
    "raw", ["", "nokey", "a:notbase64!", f"a:{base64.b64encode(b'short').decode()}", f"a:{KEY_A},a:{KEY_B}"]
)
def test_malformed_keys_fail_loudly(raw):
    with pytest.raises(ImproperlyConfigured):
        crypto.parse_keys(raw)


def test_production_refuses_to_start_without_keys():
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("SHILIU_FIELD")}
    env.update(DEBUG="0", SECRET_KEY="x" * 50)
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='shiliu.settings'; django.setup()",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SHILIU_FIELD_KEYS" in result.stderr
