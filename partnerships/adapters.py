from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """No open sign-up: administrators invite users, who then choose a password."""

    def is_open_for_signup(self, request) -> bool:
        return False
