"""Every GraphQL document Urne sends to Purpoz / Cap Collectif (internal API).

Each one is validated against the platform's real schema in tests/sync/test_purpoz_queries.py;
a change here that the schema does not accept fails the suite, not the town's count night.
"""

from __future__ import annotations

# A step's voting rule and its proposals, 100 per page.
STEP_PROPOSALS = """
query UrneStepProposals($step: ID!, $after: String) {
  node(id: $step) {
    __typename
    id
    ... on ProposalStep {
      title
      voteType
      votesLimit
      votesMin
      budget
      votesRanking
      proposals(first: 100, after: $after) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { node { id reference(full: true) title estimation } }
      }
    }
  }
}
"""

# Absolute paper totals of one proposal in one step: repeating it is safe.
UPDATE_PAPER_VOTES = """
mutation UrneUpdatePaperVotes($input: UpdateProposalStepPaperVoteCounterInput!) {
  updateProposalStepPaperVoteCounter(input: $input) {
    errorCode
    proposal { id }
  }
}
"""

# What the platform holds now, to compare with what was sent.
PAPER_VOTES = """
query UrnePaperVotes($step: ID!, $after: String) {
  node(id: $step) {
    ... on ProposalStep {
      proposals(first: 100, after: $after) {
        pageInfo { hasNextPage endCursor }
        edges { node { id reference(full: true) paperVotesTotalCount(stepId: $step) paperVotesTotalPointsCount(stepId: $step) } }
      }
    }
  }
}
"""

ALL = {"UrneStepProposals": STEP_PROPOSALS, "UrneUpdatePaperVotes": UPDATE_PAPER_VOTES, "UrnePaperVotes": PAPER_VOTES}
