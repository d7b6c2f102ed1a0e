"""The registry's settings a user names (its environment variable, the office configuration
file, how long to wait for a busy registry): small, so that `gongwen --help` can show them
without opening SQLite, TOML or the stores."""

ENV_VAR = "GONGWEN_REGISTRY"
CONFIG_NAME = "gongwen.toml"
DEFAULT_BUSY_TIMEOUT = 10.0  # seconds
