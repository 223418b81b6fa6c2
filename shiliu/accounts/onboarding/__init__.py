"""Bringing people in: invitations, commissions onboarding themselves, and local account management."""
