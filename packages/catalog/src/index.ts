export const PRICE_BOOK_VERSION: string = "0.0.0";
