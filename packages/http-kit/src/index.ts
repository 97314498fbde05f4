export { HttpProblem, Problem, PROBLEM_BASE, PROBLEM_CONTENT_TYPE, forbidden, notFound, problemHandlers, unauthorized } from './problem';
