"""The cooperation network: what organisations offer and seek, people's expertise, introductions."""
