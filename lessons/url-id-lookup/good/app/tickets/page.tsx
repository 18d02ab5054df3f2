export { default } from "./[ticketId]/page";
