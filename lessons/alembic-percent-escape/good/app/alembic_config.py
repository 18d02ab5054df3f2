"""A Config subclass that creates sections on demand: its setters forward their own arguments."""

from alembic.config import Config


class AutoSectionConfig(Config):
    def set_main_option(self, name: str, value: str) -> None:
        self.set_section_option(self.config_ini_section, name, value)

    def set_section_option(self, section: str, name: str, value: str) -> None:
        if not self.file_config.has_section(section):
            self.file_config.add_section(section)
        self.file_config.set(section, name, value)
