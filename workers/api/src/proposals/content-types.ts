/**
 * The shapes of a proposal version's content and inputs, and the disclaimer every proposal
 * carries, now live in `@aifp/contracts/api` (one declaration for the API and the web app);
 * this module re-exports them for the proposal builder's many imports.
 */
export {
  type AssumptionRow,
  type ChartSeries,
  type ComparisonRow,
  type ConfigurationPeriod,
  ESTIMATE_DISCLAIMER,
  type LineItem,
  type PaperSize,
  type PlanForProposal,
  type PlanReference,
  PROPOSAL_CONTENT_SCHEMA,
  type ProposalContent,
  type ProposalFields,
  type ProposalInputs,
} from "@aifp/contracts/api";
